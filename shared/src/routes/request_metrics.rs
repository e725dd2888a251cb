//! Counts every answer by route template (never the raw path, which holds job ids), method and
//! status.

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;

pub async fn count_request(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    // A shared reference to the route template, not a copy: this runs on every request.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let method = known_method(request.method());
    let response = next.run(request).await;
    state.metrics.record_request(
        route.as_ref().map_or("unmatched", MatchedPath::as_str),
        method,
        response.status().as_u16(),
    );
    response
}

/// Any other method string counts as one, so a client cannot grow the label set.
fn known_method(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

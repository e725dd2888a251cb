//! The HTTP routes, defined once. The server mounts them all with [`router`]; each Lambda
//! mounts its one route with the matching `*_router`.

mod cors;
mod errors;
mod limits;
mod messages;
mod request_id;
mod request_metrics;
#[cfg(test)]
mod tests;
mod wait;

use axum::Router;
use axum::middleware;
use axum::routing::{delete, get, post};

pub use crate::app_state::{AppState, Backend};

/// A path prefix in front of the routes (an API Gateway stage), so that `Location` points back
/// through it. Set by whatever strips it from the request path before routing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasePath(pub String);

/// Every API route.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// Every API route plus `extra` ones (the server's page and health check), all answering
/// errors in the same shape.
pub fn router_with(state: AppState, extra: Router<AppState>) -> Router {
    finish(
        Router::new()
            .route("/messages", post(messages::create))
            .route(
                "/messages/{id}",
                get(messages::get).delete(messages::cancel),
            )
            .merge(extra),
        state,
    )
}

/// `POST /messages` alone: the create-message Lambda.
pub fn create_message_router(state: AppState) -> Router {
    finish(
        Router::new().route("/messages", post(messages::create)),
        state,
    )
}

/// `GET /messages/{id}` alone: the get-message Lambda.
pub fn get_message_router(state: AppState) -> Router {
    finish(
        Router::new().route("/messages/{id}", get(messages::get)),
        state,
    )
}

/// `DELETE /messages/{id}` alone: the cancel-message Lambda.
pub fn cancel_message_router(state: AppState) -> Router {
    finish(
        Router::new().route("/messages/{id}", delete(messages::cancel)),
        state,
    )
}

/// What every assembly shares: problem+json for unknown routes and methods, the limits,
/// request counting, CORS, and a request id around it all.
fn finish(routes: Router<AppState>, state: AppState) -> Router {
    let cors = cors::layer(&state.cors);
    let limits = state.limits;
    let routes = routes
        .fallback(errors::route_not_found)
        .layer(middleware::map_response(
            errors::method_not_allowed_as_problem,
        ))
        .with_state(state.clone());
    limits::apply(routes, limits)
        .layer(middleware::from_fn_with_state(
            state,
            request_metrics::count_request,
        ))
        .layer(cors)
        .layer(middleware::from_fn(request_id::with_request_id))
}

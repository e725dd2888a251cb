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

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::response::Response;
use axum::routing::{delete, get, post};
use limits::{AnswerLimitErrorsLayer, HeaderLimitLayer};
use request_id::RequestIdLayer;
use request_metrics::RequestMetricsLayer;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::timeout::TimeoutLayer;
use tower::{BoxError, ServiceBuilder};

pub use crate::app_state::{AppState, Backend};

/// What the middleware written here return: their inner service's future, boxed with the work
/// they do around it.
type ResponseFuture<E> = Pin<Box<dyn Future<Output = Result<Response, E>> + Send>>;

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
///
/// One layer call: each `Router::layer` boxes the stack below it again, and the router clones a
/// route's whole box chain for every request.
fn finish(routes: Router<AppState>, state: AppState) -> Router {
    let limits = state.limits;
    let middleware = ServiceBuilder::new()
        .layer(RequestIdLayer)
        .layer(cors::layer(&state.cors))
        .layer(RequestMetricsLayer::new(Arc::clone(&state.metrics)))
        .layer(AnswerLimitErrorsLayer)
        .load_shed()
        // One semaphore shared by every route: the limit is for the whole server.
        .option_layer(
            limits
                .max_concurrent_requests
                .map(GlobalConcurrencyLimitLayer::new),
        )
        .option_layer(limits.request_timeout.map(TimeoutLayer::new))
        .map_err(|never: Infallible| -> BoxError { match never {} })
        .option_layer(limits.max_header_bytes.map(HeaderLimitLayer::new))
        .map_response(errors::method_not_allowed_as_problem);
    routes
        .fallback(errors::route_not_found)
        .layer(middleware)
        .with_state(state)
}

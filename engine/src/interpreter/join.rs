//! Runs several borrowed futures concurrently on the current task (branches and iterations
//! borrow the execution, so they cannot be spawned), stopping early when one asks to.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;

/// Polls every future until all are done or `stop` returns true for an output; the outputs
/// come back in the futures' order (`None` for those dropped unfinished).
pub async fn join_until<F, T>(futures: Vec<F>, mut stop: impl FnMut(&T) -> bool) -> Vec<Option<T>>
where
    F: Future<Output = T>,
{
    let mut futures: Vec<Option<Pin<Box<F>>>> =
        futures.into_iter().map(|f| Some(Box::pin(f))).collect();
    let mut outputs: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    poll_fn(|cx| {
        let mut pending = false;
        for (slot, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            let Some(future) = slot else {
                continue;
            };
            match future.as_mut().poll(cx) {
                Poll::Ready(value) => {
                    *slot = None;
                    let stop_now = stop(&value);
                    *output = Some(value);
                    if stop_now {
                        return Poll::Ready(());
                    }
                }
                Poll::Pending => pending = true,
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn keeps_the_order_of_the_futures() {
        let futures: Vec<_> = (0..5)
            .map(|i| async move {
                for _ in 0..(5 - i) {
                    tokio::task::yield_now().await;
                }
                i
            })
            .collect();
        let outputs = join_until(futures, |_| false).await;
        assert_eq!(outputs, (0..5).map(Some).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn stops_when_asked() {
        let futures: Vec<_> = (0..3)
            .map(|i| async move {
                if i != 1 {
                    std::future::pending::<()>().await;
                }
                i
            })
            .collect();
        let outputs = join_until(futures, |value| *value == 1).await;
        assert_eq!(outputs, [None, Some(1), None]);
    }
}

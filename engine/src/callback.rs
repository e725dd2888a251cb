//! Task tokens for the `.waitForTaskToken` pattern: a Task waits until someone calls
//! SendTaskSuccess or SendTaskFailure with its token (SendTaskHeartbeat keeps it alive).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use crate::error::StatesError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// No task is waiting for this token (it never existed, or its task has ended).
    #[error("Task Does Not Exist: '{0}'")]
    TaskDoesNotExist(String),
}

#[derive(Default)]
pub struct TaskTokens {
    waiting: Mutex<HashMap<String, Slot>>,
}

struct Slot {
    outcome: oneshot::Sender<Result<Value, StatesError>>,
    heartbeat: mpsc::UnboundedSender<()>,
}

/// The waiting side of a token.
pub struct Callback {
    pub token: String,
    pub outcome: oneshot::Receiver<Result<Value, StatesError>>,
    pub heartbeats: mpsc::UnboundedReceiver<()>,
}

impl TaskTokens {
    pub fn issue(&self) -> Callback {
        let token = format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        let (outcome_sender, outcome) = oneshot::channel();
        let (heartbeat, heartbeats) = mpsc::unbounded_channel();
        self.slots().insert(
            token.clone(),
            Slot {
                outcome: outcome_sender,
                heartbeat,
            },
        );
        Callback {
            token,
            outcome,
            heartbeats,
        }
    }

    pub fn forget(&self, token: &str) {
        self.slots().remove(token);
    }

    pub fn complete(
        &self,
        token: &str,
        outcome: Result<Value, StatesError>,
    ) -> Result<(), TokenError> {
        let slot = self
            .slots()
            .remove(token)
            .ok_or_else(|| TokenError::TaskDoesNotExist(token.to_owned()))?;
        slot.outcome
            .send(outcome)
            .map_err(|_| TokenError::TaskDoesNotExist(token.to_owned()))
    }

    pub fn heartbeat(&self, token: &str) -> Result<(), TokenError> {
        let slots = self.slots();
        let slot = slots
            .get(token)
            .ok_or_else(|| TokenError::TaskDoesNotExist(token.to_owned()))?;
        slot.heartbeat
            .send(())
            .map_err(|_| TokenError::TaskDoesNotExist(token.to_owned()))
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, HashMap<String, Slot>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

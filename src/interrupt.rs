//! Ctrl-C during a long call. Only Python's main thread sees the signal: the Python boundary
//! raises this flag when it does, and the long loops (the project walk, reading and archiving
//! files) check it between files and stop with [`Error::Interrupted`]; the archive being
//! written is then a temporary file that is removed, so nothing partial is left.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Ask every running engine call to stop at its next check.
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Forget a request, once the interrupted calls have stopped.
pub fn clear() {
    REQUESTED.store(false, Ordering::SeqCst);
}

/// `Err(Error::Interrupted)` if a stop was requested.
pub fn check() -> Result<()> {
    if REQUESTED.load(Ordering::SeqCst) {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_stops_the_next_check_until_cleared() {
        assert!(check().is_ok());
        request();
        assert!(matches!(check(), Err(Error::Interrupted)));
        clear();
        assert!(check().is_ok());
    }
}

//! One memory budget for every body read from a peer. Each read holds the
//! bytes it has buffered so far against a process-wide count, and a read
//! that would take the count past its limit fails. So eight endless peers
//! read at once cost what one costs, whether they are Prometheus servers
//! of a cluster check, test-pull's endpoints or doctor's probes.

use std::sync::atomic::{AtomicU64, Ordering};

/// Bytes currently held by every [`Held`] in the process.
static IN_FLIGHT: AtomicU64 = AtomicU64::new(0);

/// The share of the budget one read holds; given back when dropped.
#[derive(Debug, Default)]
pub(crate) struct Held {
    bytes: u64,
}

/// Taking more would pass `limit` bytes in flight, all reads counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Exhausted {
    pub limit: u64,
}

impl Held {
    pub fn new() -> Self {
        Self::default()
    }

    /// Hold `n` more bytes, unless that takes the process past `limit`.
    pub(crate) fn grow(&mut self, n: u64, limit: u64) -> Result<(), Exhausted> {
        let mut now = IN_FLIGHT.load(Ordering::Relaxed);
        loop {
            let next = now.saturating_add(n);
            if next > limit {
                return Err(Exhausted { limit });
            }
            match IN_FLIGHT.compare_exchange_weak(now, next, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => {
                    self.bytes += n;
                    return Ok(());
                }
                Err(seen) => now = seen,
            }
        }
    }

    /// How many more bytes the process may hold under `limit`.
    pub(crate) fn room(limit: u64) -> u64 {
        limit.saturating_sub(IN_FLIGHT.load(Ordering::Relaxed))
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(self.bytes, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_share_one_limit_and_give_it_back() {
        // Other tests may hold bytes meanwhile: work far above their use.
        let limit = u64::MAX / 2;
        let base = IN_FLIGHT.load(Ordering::Relaxed);
        let mut a = Held::new();
        let mut b = Held::new();
        a.grow(limit / 2, limit + base).unwrap();
        assert!(b.grow(limit, limit + base).is_err());
        drop(a);
        b.grow(limit / 2, limit + base).unwrap();
    }
}

//! What Prometheus scrapes, as its API reports it: one server's targets
//! judged against what is expected ([`health`]), and every server of a
//! cluster asked until the cluster check passes ([`watch`]). check-targets
//! shows one or the other; smoke judges one server's.

pub mod health;
pub mod watch;

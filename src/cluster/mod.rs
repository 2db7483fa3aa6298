//! Beyond one Prometheus, as it runs: the shard plan ([`plan`]), the
//! cluster check over what each server's API reports ([`check`]), and the
//! polling that feeds it ([`watch`]). The inventory's part is
//! [`crate::inventory::cluster`], each server's config
//! [`crate::promconfig::cluster`].

pub mod check;
pub mod plan;
pub mod watch;

pub(crate) use check::{ClusterReport, Observed, check};
pub(crate) use plan::{ShardPlan, plan};

//! Beyond one Prometheus, as it runs: the shard plan ([`plan`]) and the
//! cluster check over what each server's API reports ([`check`]; the
//! polling that feeds it is [`crate::targets::watch`]). The inventory's part is
//! [`crate::inventory::cluster`], each server's config
//! [`crate::promconfig::cluster`].

pub mod check;
pub mod plan;

pub(crate) use check::{ClusterReport, Observed, check};
pub(crate) use plan::{ShardPlan, plan};

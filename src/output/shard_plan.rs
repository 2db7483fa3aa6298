//! shard-plan's table: each target's shard (up to a hundred targets),
//! targets per shard, and the skew.

use crate::cluster::ShardPlan;
use crate::output::table::{cell, fit, new_table};

/// Above this many targets the table shows the shards, not each target.
const MAX_ROWS: usize = 100;

pub(crate) fn print_table(plan: &ShardPlan, color: bool) {
    if plan.targets.len() <= MAX_ROWS {
        let mut t = new_table(&["TARGET", "JOB", "SHARD"], color);
        for p in &plan.targets {
            t.add_row(vec![
                cell(&p.address),
                cell(&p.job),
                cell(
                    p.shard
                        .map_or_else(|| "every shard".to_string(), |s| s.to_string()),
                ),
            ]);
        }
        crate::outln!("{}", fit(t, &[]));
    }
    let mut t = new_table(&["SHARD", "TARGETS"], color);
    for (i, n) in plan.per_shard.iter().enumerate() {
        t.add_row(vec![cell(i.to_string()), cell(n.to_string())]);
    }
    crate::outln!("{}", fit(t, &[]));
    let skew = plan.skew.map_or_else(
        || "a shard gets no target".to_string(),
        |s| format!("skew {s:.2} (largest / smallest)"),
    );
    crate::outln!(
        "{} targets over {} shards; {skew}{}",
        plan.targets.len(),
        plan.shards,
        if plan.dropped > 0 {
            format!("; {} dropped by their job's relabelling", plan.dropped)
        } else {
            String::new()
        }
    );
}

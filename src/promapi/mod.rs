//! Prometheus HTTP API client: targets, query, status, health, reload.

pub mod client;
pub mod health;
pub mod query;
pub mod reload;
pub mod time;
pub mod types;

pub use client::{ApiError, ClientConfig, PromClient};

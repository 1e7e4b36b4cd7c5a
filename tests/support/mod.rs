//! Test support shared by the end-to-end tests. Each test file uses part of it.

#![allow(dead_code)]

pub mod cloudwatch;
pub mod exports;
pub mod home;
pub mod moto;
pub mod price_list_api;
pub mod usage_days;

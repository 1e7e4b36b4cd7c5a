//! Test support shared by the end-to-end tests. Each test file uses part of it.

#![allow(dead_code)]

pub mod home;
pub mod price_list_api;

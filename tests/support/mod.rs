//! Test support shared by the end-to-end tests.

pub mod price_list_api;

//! AWS Region codes and the location names the Price List uses for them.

/// Region codes the scenario accepts. The shipped snapshot prices eight of them (its
/// README names them); the others parse, and their lines show as unpriced until a
/// refreshed snapshot covers them.
pub const CODES: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "eu-south-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "sa-east-1",
    "me-south-1",
    "af-south-1",
];

/// The Price List's `location` attribute of each Region in [`CODES`], in the same order.
const LOCATIONS: &[&str] = &[
    "US East (N. Virginia)",
    "US East (Ohio)",
    "US West (N. California)",
    "US West (Oregon)",
    "Canada (Central)",
    "EU (Ireland)",
    "EU (London)",
    "EU (Paris)",
    "EU (Frankfurt)",
    "EU (Stockholm)",
    "EU (Milan)",
    "Asia Pacific (Mumbai)",
    "Asia Pacific (Tokyo)",
    "Asia Pacific (Seoul)",
    "Asia Pacific (Singapore)",
    "Asia Pacific (Sydney)",
    "South America (Sao Paulo)",
    "Middle East (Bahrain)",
    "Africa (Cape Town)",
];

const _: () = assert!(CODES.len() == LOCATIONS.len());

pub fn is_known(code: &str) -> bool {
    CODES.contains(&code)
}

/// The Price List `location` of a Region code.
pub fn location(code: &str) -> Option<&'static str> {
    CODES.iter().position(|c| *c == code).map(|i| LOCATIONS[i])
}

#[cfg(test)]
mod tests {
    #[test]
    fn locations_follow_the_price_list() {
        assert_eq!(super::location("us-east-1"), Some("US East (N. Virginia)"));
        assert_eq!(super::location("mars-1"), None);
        assert!(super::is_known("eu-west-1"));
    }
}

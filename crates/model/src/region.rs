//! AWS Region codes and the location names the Price List uses for them.

/// Region codes the scenario accepts, with the Price List's `location` attribute for each.
/// Prices ship for us-east-1 only; other Regions parse, and their lines show as unpriced until
/// a refreshed snapshot covers them.
pub const REGIONS: &[(&str, &str)] = &[
    ("us-east-1", "US East (N. Virginia)"),
    ("us-east-2", "US East (Ohio)"),
    ("us-west-1", "US West (N. California)"),
    ("us-west-2", "US West (Oregon)"),
    ("ca-central-1", "Canada (Central)"),
    ("eu-west-1", "EU (Ireland)"),
    ("eu-west-2", "EU (London)"),
    ("eu-west-3", "EU (Paris)"),
    ("eu-central-1", "EU (Frankfurt)"),
    ("eu-north-1", "EU (Stockholm)"),
    ("eu-south-1", "EU (Milan)"),
    ("ap-south-1", "Asia Pacific (Mumbai)"),
    ("ap-northeast-1", "Asia Pacific (Tokyo)"),
    ("ap-northeast-2", "Asia Pacific (Seoul)"),
    ("ap-southeast-1", "Asia Pacific (Singapore)"),
    ("ap-southeast-2", "Asia Pacific (Sydney)"),
    ("sa-east-1", "South America (Sao Paulo)"),
    ("me-south-1", "Middle East (Bahrain)"),
    ("af-south-1", "Africa (Cape Town)"),
];

/// Every Region code the scenario accepts.
pub fn codes() -> Vec<&'static str> {
    REGIONS.iter().map(|(c, _)| *c).collect()
}

pub fn is_known(code: &str) -> bool {
    REGIONS.iter().any(|(c, _)| *c == code)
}

/// The Price List `location` of a Region code.
pub fn location(code: &str) -> Option<&'static str> {
    REGIONS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
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

//! Watch shares for an imported ladder. No job, playlist or manifest says how long viewers
//! watch each rendition, so the import assumes a mix and says so.

use rust_decimal::Decimal;

/// The assumption, as written into the scenario and the notes.
pub const ASSUMED_SHARES: &str = "watch shares are assumed: they rise with the rung's bitrate, the k-th lowest of n distinct bitrates weighing k (players climb to the highest rung the connection sustains, so most watch time is spent on the upper rungs); replace them with measured shares (CloudFront logs, player analytics) when you have them";

/// Shares are written with at most this many decimal places.
const PLACES: u32 = 4;

/// One share per rung, from each rung's total bitrate: weight k for the k-th lowest distinct
/// bitrate (equal bitrates weigh the same), normalised, rounded to 4 places by the largest
/// remainder so that they sum to exactly 1.
pub(crate) fn assumed(bitrates: &[Decimal]) -> Vec<Decimal> {
    if bitrates.is_empty() {
        return Vec::new();
    }
    let mut distinct: Vec<Decimal> = bitrates.to_vec();
    distinct.sort();
    distinct.dedup();
    let weights: Vec<u64> = bitrates
        .iter()
        .map(|b| distinct.binary_search(b).map_or(1, |i| i as u64 + 1))
        .collect();
    let total: u64 = weights.iter().sum();
    let unit = 10u64.pow(PLACES);
    // Whole units of 0.0001 each rung gets, and the remainder that decides who gets one more.
    let mut units: Vec<u64> = weights.iter().map(|w| w * unit / total).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = ((weights[a] * unit) % total, (weights[b] * unit) % total);
        rb.cmp(&ra)
            .then(weights[b].cmp(&weights[a]))
            .then(a.cmp(&b))
    });
    let missing = unit - units.iter().sum::<u64>();
    for &i in order.iter().take(missing as usize) {
        units[i] += 1;
    }
    units
        .into_iter()
        .map(|u| Decimal::new(u as i64, PLACES).normalize())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn shares_rise_with_bitrate_and_sum_to_one() {
        assert_eq!(
            assumed(&[d("896"), d("2628")]),
            vec![d("0.3333"), d("0.6667")]
        );
        assert_eq!(assumed(&[d("5")]), vec![d("1")]);
        // Equal bitrates weigh the same; order in the ladder does not matter.
        assert_eq!(
            assumed(&[d("3000"), d("800"), d("3000")]),
            vec![d("0.4"), d("0.2"), d("0.4")]
        );
        let many: Vec<Decimal> = (1..=9).map(Decimal::from).collect();
        let shares = assumed(&many);
        assert_eq!(shares.iter().sum::<Decimal>(), Decimal::ONE);
        assert_eq!(shares[8], d("0.2"));
        assert!(assumed(&[]).is_empty());
    }
}

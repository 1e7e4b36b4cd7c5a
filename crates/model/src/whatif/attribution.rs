//! Shapley values: how much of a change in cost each of the changes that make it up is owed,
//! fairly, whatever order the changes are made in.
//!
//! With `n` players (the drivers) and a cost `v(S)` for every coalition `S` (the drivers
//! changed), player `i` is owed
//!
//! ```text
//! φᵢ = Σ over S ⊆ N∖{i} of |S|! (n − |S| − 1)! ⁄ n! × (v(S ∪ {i}) − v(S))
//! ```
//!
//! (L. S. Shapley, "A value for n-person games", 1953): the mean, over every order of making
//! the changes, of what adding `i` changed. The values add up to `v(N) − v(∅)`, a player that
//! changes nothing gets nothing, and the interaction of two changes is split evenly between
//! them. Changing `watch time × bitrate` from `2 × 3` to `4 × 5` costs `20 − 6 = 14`; done in
//! one order the watch time gets `(4 − 2) × 3 = 6` and the bitrate `4 × (5 − 3) = 8`, in the
//! other `10` and `4`; Shapley gives each the mean, `8` and `6`.
//!
//! Exact for up to [`EXACT_MAX_PLAYERS`] players (`2ⁿ` costs). Beyond that, the mean of the
//! marginal contributions over random orders, each drawn with its reverse (antithetic
//! sampling), from a fixed seed so the same inputs give the same answer (S. Castro, D. Gómez,
//! J. Tejada, "Polynomial calculation of the Shapley value based on sampling", 2009). Every
//! order's contributions add up to `v(N) − v(∅)`, so their mean does too.

use std::collections::HashMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// The most players whose Shapley values are computed exactly: `2¹²` = 4,096 costs.
pub const EXACT_MAX_PLAYERS: usize = 12;

/// Orders sampled beyond [`EXACT_MAX_PLAYERS`] (half of them the reverses of the others).
pub const SAMPLED_PERMUTATIONS: usize = 200;

/// Fewer orders are sampled when each is long, so no attribution prices more scenarios than
/// this.
pub const MAX_SAMPLED_COSTS: usize = 12_000;

/// The seed of the sampled orders. Fixed: the same two scenarios always get the same bars.
pub const SEED: u64 = 14;

/// Decimal places the values are kept to: far below a cent, and small enough that sums of
/// values below 10¹³ dollars are exact in a 28-digit decimal.
pub const SCALE: u32 = 12;

/// How the values were computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    /// Every coalition: `2ⁿ` costs.
    Exact { coalitions: usize },
    /// Random orders of the players (each with its reverse), from a fixed seed.
    Sampled { permutations: usize, seed: u64 },
}

impl Method {
    /// The method in words, for tables and charts.
    pub fn describe(&self) -> String {
        match self {
            Method::Exact { coalitions } => {
                format!("Exact Shapley values: {coalitions} combinations of the changes priced")
            }
            Method::Sampled { permutations, seed } => format!(
                "Sampled Shapley values: the mean over {permutations} random orders of the changes (seed {seed}); every order's effects add up to the difference, so their mean does too"
            ),
        }
    }
}

/// The values, one per player, and how they were computed.
#[derive(Clone, Debug, PartialEq)]
pub struct Shapley {
    /// Rounded to [`SCALE`] places; they add up exactly to `v(N) − v(∅)` rounded so.
    pub values: Vec<Decimal>,
    pub method: Method,
    /// How many coalitions were priced.
    pub costs: usize,
}

/// The Shapley values of `n` players; `cost(with)` is the cost of the coalition whose
/// members are flagged in `with`. Exact up to [`EXACT_MAX_PLAYERS`], sampled beyond.
pub fn shapley<E>(
    n: usize,
    mut cost: impl FnMut(&[bool]) -> Result<Decimal, E>,
) -> Result<Shapley, E> {
    let plan = Plan::new(n);
    let costs = plan
        .coalitions()
        .iter()
        .map(|with| cost(with))
        .collect::<Result<Vec<_>, E>>()?;
    Ok(plan.values(&costs))
}

/// Which coalitions a Shapley attribution of `n` players prices: every one (exact), or those
/// along orders drawn from [`SEED`] (sampled). Their costs may be computed anywhere (on
/// several threads, say) and handed to [`Plan::values`] in the order of
/// [`Plan::coalitions`].
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    n: usize,
    /// The sampled orders; empty when exact.
    orders: Vec<Vec<usize>>,
    coalitions: Vec<Vec<bool>>,
}

impl Plan {
    pub fn new(n: usize) -> Plan {
        if n <= EXACT_MAX_PLAYERS {
            return Plan {
                n,
                orders: Vec::new(),
                coalitions: (0..1usize << n).map(|mask| members(n, mask)).collect(),
            };
        }
        // Pairs of orders, each drawn with its reverse; each order passes n − 1 new
        // coalitions at most.
        let pairs = (SAMPLED_PERMUTATIONS / 2)
            .min(MAX_SAMPLED_COSTS / (2 * n))
            .max(1);
        let mut rng = SplitMix64(SEED);
        let mut orders = Vec::with_capacity(2 * pairs);
        for _ in 0..pairs {
            let mut order: Vec<usize> = (0..n).collect();
            // Fisher–Yates.
            for k in (1..n).rev() {
                order.swap(k, rng.below(k + 1));
            }
            let reverse: Vec<usize> = order.iter().rev().copied().collect();
            orders.push(order);
            orders.push(reverse);
        }
        // Every coalition along the orders, once, in the order first met.
        let mut seen: HashMap<Vec<bool>, ()> = HashMap::new();
        let mut coalitions = Vec::new();
        let mut meet = |with: &Vec<bool>, coalitions: &mut Vec<Vec<bool>>| {
            if seen.insert(with.clone(), ()).is_none() {
                coalitions.push(with.clone());
            }
        };
        meet(&vec![false; n], &mut coalitions);
        for order in &orders {
            let mut with = vec![false; n];
            for &i in order {
                with[i] = true;
                meet(&with, &mut coalitions);
            }
        }
        Plan {
            n,
            orders,
            coalitions,
        }
    }

    /// The coalitions to price.
    pub fn coalitions(&self) -> &[Vec<bool>] {
        &self.coalitions
    }

    /// The Shapley values from the costs of [`Plan::coalitions`], in their order.
    pub fn values(&self, costs: &[Decimal]) -> Shapley {
        let n = self.n;
        if self.orders.is_empty() {
            // The coalitions are the masks 0 … 2ⁿ − 1 in order.
            return Shapley {
                values: exact(n, costs),
                method: Method::Exact {
                    coalitions: costs.len(),
                },
                costs: costs.len(),
            };
        }
        let cost: HashMap<&[bool], Decimal> = self
            .coalitions
            .iter()
            .map(Vec::as_slice)
            .zip(costs.iter().copied())
            .collect();
        let at = |with: &[bool]| cost.get(with).copied().unwrap_or_default();
        let none = at(&vec![false; n]);
        let mut sums = vec![Decimal::ZERO; n];
        for order in &self.orders {
            let mut with = vec![false; n];
            let mut before = none;
            for &i in order {
                with[i] = true;
                let after = at(&with);
                sums[i] += after - before;
                before = after;
            }
        }
        let permutations = self.orders.len();
        let values: Vec<Decimal> = sums
            .into_iter()
            .map(|s| s / Decimal::from(permutations))
            .collect();
        Shapley {
            values: settle(values, at(&vec![true; n]) - none),
            method: Method::Sampled {
                permutations,
                seed: SEED,
            },
            costs: costs.len(),
        }
    }
}

/// The coalition of the bits set in `mask`: player `i` is bit `i`.
pub fn members(n: usize, mask: usize) -> Vec<bool> {
    (0..n).map(|i| mask & (1 << i) != 0).collect()
}

/// Exact Shapley values from the cost of every coalition, indexed by its mask (see
/// [`members`]): `costs.len()` is `2ⁿ`.
pub fn exact(n: usize, costs: &[Decimal]) -> Vec<Decimal> {
    if n == 0 || costs.len() != 1 << n {
        return vec![Decimal::ZERO; n];
    }
    // |S|! (n − |S| − 1)! for each size of S, and n!: whole numbers, exact in a decimal
    // (12! < 10¹⁰).
    let factorial = |k: usize| (1..=k as u64).product::<u64>();
    let weight: Vec<Decimal> = (0..n)
        .map(|s| Decimal::from(factorial(s) * factorial(n - s - 1)))
        .collect();
    let n_factorial = Decimal::from(factorial(n));
    let mut values = Vec::with_capacity(n);
    for i in 0..n {
        let bit = 1usize << i;
        let mut sum = Decimal::ZERO;
        for mask in (0..costs.len()).filter(|m| m & bit == 0) {
            let size = mask.count_ones() as usize;
            sum += weight[size] * (costs[mask | bit] - costs[mask]);
        }
        values.push(sum / n_factorial);
    }
    let total = costs[costs.len() - 1] - costs[0];
    settle(values, total)
}

/// Rounds the values to [`SCALE`] places and puts what rounding and division left over on
/// the largest one, so they add up to `total` (rounded so) exactly.
fn settle(values: Vec<Decimal>, total: Decimal) -> Vec<Decimal> {
    let round = |d: Decimal| d.round_dp_with_strategy(SCALE, RoundingStrategy::MidpointNearestEven);
    let mut values: Vec<Decimal> = values.into_iter().map(round).collect();
    let rest = round(total) - values.iter().copied().sum::<Decimal>();
    if !rest.is_zero()
        && let Some(largest) = (0..values.len()).max_by(|&x, &y| {
            values[x]
                .abs()
                .cmp(&values[y].abs())
                .then_with(|| y.cmp(&x))
        })
    {
        values[largest] += rest;
    }
    values
}

/// SplitMix64 (G. Steele, D. Lea, C. Flood, "Fast splittable pseudorandom number generators",
/// 2014): a small, well-mixed generator, enough to draw orders reproducibly.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..k` (Lemire's multiply-shift; `k` is small, the bias negligible).
    fn below(&mut self, k: usize) -> usize {
        ((u128::from(self.next()) * k as u128) >> 64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;

    fn product(with: &[bool]) -> Result<Decimal, ()> {
        // Watch time 2 → 4, bitrate 3 → 5.
        let watch = if with[0] { d("4") } else { d("2") };
        let rate = if with[1] { d("5") } else { d("3") };
        Ok(watch * rate)
    }

    #[test]
    fn the_interaction_of_two_changes_is_split_evenly() {
        // 20 − 6 = 14. Watch time first: 6 then 8; bitrate first: 4 then 10. The mean of
        // each: watch time (6 + 10) / 2 = 8, bitrate (8 + 4) / 2 = 6.
        let s = shapley(2, product).unwrap();
        assert_eq!(s.values, vec![d("8"), d("6")]);
        assert_eq!(s.method, Method::Exact { coalitions: 4 });
    }

    #[test]
    fn sampled_values_are_close_to_exact_and_add_up() {
        // A sum of independent effects plus one interaction, 14 players: the exact values are
        // known (the effect, plus half the interaction for players 0 and 1).
        let n = 14;
        let cost = |with: &[bool]| -> Result<Decimal, ()> {
            let mut c = Decimal::ZERO;
            for (i, on) in with.iter().enumerate() {
                if *on {
                    c += Decimal::from(i as u64 + 1);
                }
            }
            if with[0] && with[1] {
                c += d("10");
            }
            Ok(c)
        };
        let s = shapley(n, cost).unwrap();
        assert!(matches!(s.method, Method::Sampled { .. }));
        let total: Decimal = s.values.iter().sum();
        assert_eq!(total, d("115"));
        for (i, v) in s.values.iter().enumerate() {
            let exact = Decimal::from(i as u64 + 1) + if i < 2 { d("5") } else { d("0") };
            // Independent effects are the same in every order; the interaction of 0 and 1
            // goes to whichever comes second, and every order is drawn with its reverse, so
            // it is split evenly.
            assert_eq!(*v, exact, "player {i}");
        }
        // The same answer every time.
        assert_eq!(shapley(n, cost).unwrap(), s);
    }

    #[test]
    fn nobody_changed_nothing_owed() {
        let s = shapley(0, |_| Ok::<_, ()>(d("5"))).unwrap();
        assert!(s.values.is_empty());
        let s = shapley(3, |w| Ok::<_, ()>(if w[1] { d("7") } else { d("0") })).unwrap();
        assert_eq!(s.values, vec![d("0"), d("7"), d("0")]);
    }
}

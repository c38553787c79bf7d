//! Small statistics helpers for interleaved measurements.

/// The median of `values` (0 for none). Sorts in place.
///
/// ```
/// assert_eq!(payments_bench::stats::median(&mut [3.0, 1.0, 2.0]), 2.0);
/// ```
pub fn median(values: &mut [f64]) -> f64 {
    percentile(values, 50.0)
}

/// The `p`-th percentile (nearest rank) of `values` (0 for none). Sorts in place.
///
/// ```
/// assert_eq!(payments_bench::stats::percentile(&mut [1.0, 2.0, 3.0, 4.0], 99.0), 4.0);
/// ```
pub fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    #[allow(clippy::float_arithmetic)]
    let rank = (p / 100.0 * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

/// Minimum and maximum of `values` (zeros for none).
pub fn min_max(values: &[f64]) -> (f64, f64) {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if values.is_empty() {
        (0.0, 0.0)
    } else {
        (min, max)
    }
}

//! Pricing many independent cases on several threads. The engine is pure, so the cases can be
//! priced in any order; the results come back in case order, the same as on one thread. The
//! caller says how many threads (the model does not look at the machine).

/// `f(0)`, `f(1)`, … `f(n - 1)`, computed on `threads` threads. Thread k takes cases k,
/// k + threads, …: their cost varies along a sweep or with a coalition's size, and
/// interleaving shares it out evenly. A panic on a thread is the same panic here.
pub fn map_indexed<T: Send>(n: usize, threads: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = threads.clamp(1, n.max(1));
    if threads == 1 {
        return (0..n).map(f).collect();
    }
    let f = &f;
    let mut parts: Vec<std::vec::IntoIter<T>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|k| scope.spawn(move || (k..n).step_by(threads).map(f).collect::<Vec<T>>()))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
                    .into_iter()
            })
            .collect()
    });
    (0..n).filter_map(|i| parts[i % threads].next()).collect()
}

#[cfg(test)]
mod tests {
    use super::map_indexed;

    #[test]
    fn results_come_back_in_case_order_on_any_number_of_threads() {
        for threads in [1, 2, 3, 7, 64] {
            for n in [0, 1, 5, 100] {
                let got = map_indexed(n, threads, |i| i * i);
                assert_eq!(
                    got,
                    (0..n).map(|i| i * i).collect::<Vec<_>>(),
                    "{threads} {n}"
                );
            }
        }
    }
}

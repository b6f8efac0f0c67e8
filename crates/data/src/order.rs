//! The order in which training visits its examples, shared by every trainer.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Returns the order of `count` training examples in `epoch` (0-based): a fresh shuffle seeded by `seed` and the epoch.
///
/// `sampleprop train` and the sweeps both use it, so equal configurations see equal example orders.
pub fn epoch_order(seed: u64, epoch: usize, count: usize) -> Vec<usize> {
    let mixed = seed ^ (epoch as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(mixed);
    let mut order: Vec<usize> = (0..count).collect();
    order.shuffle(&mut rng);
    order
}

#[cfg(test)]
mod tests {
    use super::epoch_order;

    #[test]
    fn order_is_a_permutation() {
        let mut order = epoch_order(1, 0, 100);
        order.sort_unstable();
        assert_eq!(order, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn order_changes_with_epoch_and_seed() {
        assert_eq!(epoch_order(1, 3, 50), epoch_order(1, 3, 50));
        assert_ne!(epoch_order(1, 0, 50), epoch_order(1, 1, 50));
        assert_ne!(epoch_order(1, 0, 50), epoch_order(2, 0, 50));
    }
}

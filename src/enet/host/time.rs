//! Millisecond clock arithmetic. ENet's clock wraps, so "earlier" means "less than a day behind"
//! (`TIME_OVERFLOW`), never a plain `<`.

const TIME_OVERFLOW: u32 = 86_400_000;
pub(super) fn time_less(a: u32, b: u32) -> bool {
    a.wrapping_sub(b) >= TIME_OVERFLOW
}
pub(super) fn time_greater_equal(a: u32, b: u32) -> bool {
    !time_less(a, b)
}
pub(super) fn time_difference(a: u32, b: u32) -> u32 {
    if a.wrapping_sub(b) >= TIME_OVERFLOW {
        b.wrapping_sub(a)
    } else {
        a.wrapping_sub(b)
    }
}

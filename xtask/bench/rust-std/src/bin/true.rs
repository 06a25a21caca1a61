//! true with `std`: exit code 0.
fn main() {}

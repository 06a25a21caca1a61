//! hello with `std`.
fn main() {
    println!("Hello, World!");
}

//! hello with `std`.
fn main() {
    print!("Hello, World!\n");
}

//! false with `std`: exit code 1.
fn main() {
    std::process::exit(1);
}

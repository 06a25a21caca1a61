fn main() {
    tiny_build::Builder::new().emit().expect("tiny-build");
}

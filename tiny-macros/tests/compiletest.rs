//! Compile errors of `#[tiny::main]` misuse, checked against `tests/ui/*.stderr` with trybuild.
//! rustc's wording changes between releases: after a toolchain update, review and refresh the
//! expectations with `cargo xtask bless`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}

fn main() {
    // The window embeds the built front end; without it the app would show a
    // blank page, so say how to build it instead.
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/dist/index.html");
    println!("cargo:rerun-if-changed=ui/dist/index.html");
    if !dist.exists() {
        panic!(
            "\n\nui/dist is missing: build the front end first with\n    npm --prefix ui ci && npm --prefix ui run build\n(or run the README's set-up command)\n\n"
        );
    }
    tauri_build::build();
}

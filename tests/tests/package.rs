//! The published crates package and build from their packages, as `cargo publish` would
//! check them, and the CLI built from its package (templates and all) works from a
//! directory outside this checkout.

use std::path::{Path, PathBuf};
use std::process::Command;

use tento_tests::{cargo_ok, hosts_target_dir, workspace_root};

/// The crates that go to crates.io, in the order they depend on each other.
const PUBLISHED: [&str; 5] = [
    "tento-router",
    "tento-rowkey",
    "tento-macros",
    "tento",
    "tento-scaffold",
];

fn crate_file(name: &str) -> PathBuf {
    let version = env!("CARGO_PKG_VERSION");
    hosts_target_dir()
        .join("package")
        .join(format!("{name}-{version}.crate"))
}

fn tar(args: &[&str], dir: &Path) -> String {
    let out = Command::new("tar")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("tar runs");
    assert!(
        out.status.success(),
        "tar {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn published_crates_package_verify_and_the_packaged_cli_scaffolds_from_anywhere() {
    // `cargo package` builds every package from its `.crate` (against the others through
    // a local registry), so a file a package needs but does not carry fails here.
    let mut args = vec!["package", "--allow-dirty"];
    for name in PUBLISHED {
        args.extend(["-p", name]);
    }
    cargo_ok(&workspace_root(), &args).unwrap();

    let version = env!("CARGO_PKG_VERSION");
    for name in PUBLISHED {
        let listing = tar(&["tzf", crate_file(name).to_str().unwrap()], &workspace_root());
        for file in ["README.md", "LICENSE-MIT", "LICENSE-APACHE", "Cargo.toml"] {
            let path = format!("{name}-{version}/{file}");
            assert!(
                listing.lines().any(|l| l == path),
                "{name} lacks {file}:\n{listing}"
            );
        }
    }

    let unpacked = tempfile::tempdir().unwrap();
    tar(
        &["xzf", crate_file("tento-scaffold").to_str().unwrap()],
        unpacked.path(),
    );
    let package = unpacked.path().join(format!("tento-scaffold-{version}"));
    assert!(
        package.join("templates/provider/Cargo.toml.j2").is_file(),
        "the templates travel inside the tento-scaffold package"
    );

    // tento pins its macros exactly: they emit paths only the matching tento has.
    let tento_manifest = tar(
        &[
            "xzOf",
            crate_file("tento").to_str().unwrap(),
            &format!("tento-{version}/Cargo.toml"),
        ],
        &workspace_root(),
    );
    let manifest: toml_edit::DocumentMut = tento_manifest.parse().unwrap();
    for dep in ["tento-macros", "tento-router"] {
        let req = manifest["dependencies"][dep]["version"].as_str();
        assert_eq!(
            req,
            Some(format!("={version}").as_str()),
            "tento's requirement on {dep}"
        );
    }

    // The derive and the CLI read `#[rowkey]` blocks with the one grammar of their release.
    for name in ["tento-macros", "tento-scaffold"] {
        let packaged = tar(
            &[
                "xzOf",
                crate_file(name).to_str().unwrap(),
                &format!("{name}-{version}/Cargo.toml"),
            ],
            &workspace_root(),
        );
        let manifest: toml_edit::DocumentMut = packaged.parse().unwrap();
        assert_eq!(
            manifest["dependencies"]["tento-rowkey"]["version"].as_str(),
            Some(format!("={version}").as_str()),
            "{name}'s requirement on tento-rowkey"
        );
    }

    // The CLI as `cargo install tento-scaffold` builds it, outside this workspace. The one
    // crate of this workspace it depends on, tento-rowkey, is published before it (the
    // order of PUBLISHED); until then its package stands in for the crates.io release,
    // which is why the lock (naming the crates.io release) cannot be `--locked` here.
    tar(
        &["xzf", crate_file("tento-rowkey").to_str().unwrap()],
        unpacked.path(),
    );
    let rowkey = unpacked.path().join(format!("tento-rowkey-{version}"));
    let patch = format!("patch.crates-io.tento-rowkey.path={:?}", rowkey.to_str().unwrap());
    cargo_ok(&package, &["build", "--bins", "--config", &patch]).unwrap();
    let cli = hosts_target_dir()
        .join("debug")
        .join(format!("tento-scaffold{}", std::env::consts::EXE_SUFFIX));
    let elsewhere = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(&cli)
            .args(args)
            .current_dir(elsewhere.path())
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "tento-scaffold {args:?} failed:\n{text}");
        text
    };

    // Built from the package, it has no checkout beside it: hosts depend on its release.
    let plan = run(&["init", "released", "--dry-run"]);
    assert!(
        plan.contains(&format!("tento = \"{version}\""))
            || plan.contains(&format!("version = \"{version}\"")),
        "{plan}"
    );

    let tento = workspace_root().join("tento");
    run(&["init", "host", "--tento-path", tento.to_str().unwrap()]);
    run(&["new", "acme", "--host", "host", "--rows", "activities"]);
    let host = elsewhere.path().join("host");
    assert!(host.join("tento-acme/src/connector/activities/mod.rs").is_file());
    let members = std::fs::read_to_string(host.join("Cargo.toml")).unwrap();
    assert!(members.contains("\"tento-acme\""), "{members}");
    run(&["check", "--host", "host"]);
}

//! The host's test fakes, as the seeds' `FakeRowKeyDeps::new()`: every in-tree
//! provider's stub deps over one in-memory store. `tento-scaffold new` adds each new
//! provider's stub here.

use tento::testing::FakeRowKeyDeps;
use tento_myprovider::connector::MyProviderBackendDeps;
use tento_myprovider_macros::connector::MyMacroProviderBackendDeps;

/// Fakes with every provider's stub deps registered.
pub fn fake_row_key_deps() -> FakeRowKeyDeps {
    FakeRowKeyDeps::new()
        .with_stub::<dyn MyProviderBackendDeps>()
        .with_stub::<dyn MyMacroProviderBackendDeps>()
}

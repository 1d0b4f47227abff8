use std::any::{Any, TypeId, type_name};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use super::RouteSchema;

/// Names a deps trait object type (`dyn MyProviderBackendDeps`) at run time.
#[derive(Clone, Copy, Debug)]
pub struct DepsKey {
    type_id: TypeId,
    name: &'static str,
}

impl DepsKey {
    /// The key of `T`, usually a `dyn Trait`.
    pub fn of<T: ?Sized + 'static>() -> Self {
        DepsKey {
            type_id: TypeId::of::<T>(),
            name: type_name::<T>(),
        }
    }

    /// The type's name, as `std::any::type_name` spells it.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl PartialEq for DepsKey {
    fn eq(&self, other: &Self) -> bool {
        self.type_id == other.type_id
    }
}

impl Eq for DepsKey {}

/// The host's registry of provider deps: one `Arc<dyn …BackendDeps>` per provider,
/// registered with one line and looked up by type when a row is dispatched.
///
/// ```
/// # use std::sync::Arc;
/// # use tento::connector::IntegrationDeps;
/// trait WeatherDeps: Send + Sync { fn city(&self) -> &str; }
/// struct Deps;
/// impl WeatherDeps for Deps { fn city(&self) -> &str { "Oslo" } }
///
/// let mut integrations = IntegrationDeps::new();
/// integrations.register::<dyn WeatherDeps>(Arc::new(Deps) as Arc<dyn WeatherDeps>);
/// assert_eq!(integrations.expect::<dyn WeatherDeps>().city(), "Oslo");
/// ```
#[derive(Default)]
pub struct IntegrationDeps {
    entries: HashMap<TypeId, Entry>,
}

struct Entry {
    name: &'static str,
    /// An `Arc<T>` for the `T` whose `TypeId` keys the entry.
    value: Box<dyn Any + Send + Sync>,
}

impl IntegrationDeps {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers the deps for trait object type `T`, replacing any earlier registration.
    pub fn register<T: ?Sized + Send + Sync + 'static>(&mut self, deps: Arc<T>) -> &mut Self {
        self.entries.insert(
            TypeId::of::<T>(),
            Entry {
                name: type_name::<T>(),
                value: Box::new(deps),
            },
        );
        self
    }

    /// The deps registered for `T`, if any.
    pub fn get<T: ?Sized + Send + Sync + 'static>(&self) -> Option<&Arc<T>> {
        self.entries
            .get(&TypeId::of::<T>())?
            .value
            .downcast_ref::<Arc<T>>()
    }

    /// The deps registered for `T`, or an error naming it.
    pub fn try_get<T: ?Sized + Send + Sync + 'static>(&self) -> Result<&Arc<T>, MissingDeps> {
        self.get::<T>()
            .ok_or_else(|| MissingDeps::single(DepsKey::of::<T>()))
    }

    /// The deps registered for `T`.
    ///
    /// # Panics
    /// When none is registered, naming `T` and the line to add. A host that ran
    /// [`ensure_all_registered`](Self::ensure_all_registered) at boot cannot hit it.
    #[track_caller]
    pub fn expect<T: ?Sized + Send + Sync + 'static>(&self) -> &Arc<T> {
        match self.try_get::<T>() {
            Ok(deps) => deps,
            Err(missing) => panic!("{missing}"),
        }
    }

    /// Whether deps are registered for the key's type.
    pub fn contains(&self, key: &DepsKey) -> bool {
        self.entries.contains_key(&key.type_id)
    }

    /// The names of every registered deps type, sorted.
    pub fn registered(&self) -> Vec<&'static str> {
        let mut names: Vec<_> = self.entries.values().map(|e| e.name).collect();
        names.sort_unstable();
        names
    }

    /// Checks that every route's deps are registered; the error names each missing trait
    /// once, with the routes that need it. Call it once at boot, so a forgotten
    /// `register` line fails there and not on the first request.
    pub fn ensure_all_registered(&self, schemas: &[RouteSchema]) -> Result<(), MissingDeps> {
        let mut missing: BTreeMap<&'static str, Vec<&'static str>> = BTreeMap::new();
        for route in schemas {
            if !self.contains(&route.deps) {
                missing.entry(route.deps.name()).or_default().push(route.pattern);
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(MissingDeps {
                missing: missing.into_iter().collect(),
            })
        }
    }
}

impl fmt::Debug for IntegrationDeps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntegrationDeps")
            .field("registered", &self.registered())
            .finish()
    }
}

/// Deps traits a host has not registered, each with the route patterns that need it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct MissingDeps {
    /// `(trait object type name, route patterns needing it)`, sorted by name.
    pub missing: Vec<(&'static str, Vec<&'static str>)>,
}

impl MissingDeps {
    fn single(key: DepsKey) -> Self {
        MissingDeps {
            missing: vec![(key.name(), Vec::new())],
        }
    }

    /// The names of the missing traits.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.missing.iter().map(|(name, _)| *name)
    }
}

impl fmt::Display for MissingDeps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.missing.len();
        write!(
            f,
            "{n} integration deps {} not registered:",
            if n == 1 { "is" } else { "are" }
        )?;
        for (name, routes) in &self.missing {
            write!(f, "\n  - {name}")?;
            if !routes.is_empty() {
                write!(f, " (needed by {})", routes.join(", "))?;
            }
            write!(
                f,
                "; add `integrations.register::<{name}>(deps.clone() as Arc<{name}>);`"
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    trait Alpha: Send + Sync {
        fn a(&self) -> u8;
    }
    trait Beta: Send + Sync {}
    struct Impl;
    impl Alpha for Impl {
        fn a(&self) -> u8 {
            7
        }
    }
    impl Beta for Impl {}

    #[test]
    fn registered_deps_come_back_by_trait() {
        let mut deps = IntegrationDeps::new();
        assert!(deps.get::<dyn Alpha>().is_none());
        deps.register::<dyn Alpha>(Arc::new(Impl) as Arc<dyn Alpha>);
        assert_eq!(deps.expect::<dyn Alpha>().a(), 7);
        assert!(deps.try_get::<dyn Beta>().is_err());
        assert!(deps.contains(&DepsKey::of::<dyn Alpha>()));
        assert!(!deps.contains(&DepsKey::of::<dyn Beta>()));
    }

    #[test]
    #[should_panic(expected = "Beta")]
    fn expect_panics_naming_the_trait() {
        IntegrationDeps::new().expect::<dyn Beta>();
    }
}

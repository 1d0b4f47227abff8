//! Two integrations written by hand; rows found by convention (nested ones too) and
//! named with `as`; a row-level placeholder filling the row's `Params`; rows declaring
//! their verbs; a generic host type. The derived `schemas()` drives the boot check,
//! which names each deps trait not registered.
#![deny(warnings, missing_docs)]

use std::marker::PhantomData;
use std::sync::Arc;

use tento::connector::{
    DispatchCtx, IntegrationDeps, MemoryCellStore, Request, Response, Row, RowKeySchema, Verb,
};
use tento::testing::FakeUserAuth;

/// A provider with a city in its keys.
pub mod weather {
    /// Its connector module, laid out as the seeds lay one out.
    pub mod connector {
        use futures::future::BoxFuture;
        use tento::connector::{Integration, UserAuth};

        /// The deps seam.
        pub trait WeatherDeps: Send + Sync {}

        /// The integration marker.
        pub struct Weather;

        /// `{city}`.
        #[derive(Clone, Debug, serde::Deserialize)]
        pub struct WeatherParams {
            /// The city.
            pub city: String,
        }

        impl Integration for Weather {
            type Deps = dyn WeatherDeps;
            type Client = String;
            type Params = WeatherParams;

            fn client<'a>(
                _: &'a dyn UserAuth,
                _: &'a dyn WeatherDeps,
                p: &'a WeatherParams,
            ) -> BoxFuture<'a, anyhow::Result<String>> {
                Box::pin(async move { Ok(p.city.clone()) })
            }
        }

        /// A cell with that id.
        pub fn cell(id: String) -> tento::connector::Cell {
            tento::connector::Cell {
                id: Some(id),
                date: tento::chrono::SemanticTime::from_partial(tento::chrono::PartialDate::Y(2024)),
                end_date: None,
                data: serde_json::Value::Null,
            }
        }

        /// `:forecast`, and below it `:forecast:{day}:hourly`.
        pub mod forecast {
            use futures::future::BoxFuture;
            use tento::chrono::DateRange;
            use tento::connector::{Cell, Row, RowCtx, Verb};

            use super::{Weather, WeatherParams};

            /// The forecast row.
            pub struct Forecast;

            impl Row for Forecast {
                type Integration = Weather;
                type Params = ();
                const ROW_LABEL: &'static str = "weather-forecast";
                const SERVES: Option<&'static [Verb]> = Some(&[Verb::List]);

                fn lookup_key(int: &WeatherParams, _: &()) -> String {
                    format!(":~weather:{}:forecast", int.city)
                }

                fn list_cells<'a>(
                    ctx: RowCtx<'a, Self>,
                    _: Option<DateRange>,
                ) -> BoxFuture<'a, anyhow::Result<Vec<Cell>>> {
                    let city = ctx.client.clone();
                    Box::pin(async move { Ok(vec![crate::weather::connector::cell(city)]) })
                }
            }

            /// `:hourly`, nested under `:forecast`.
            pub mod hourly {
                use futures::future::BoxFuture;
                use tento::chrono::DateRange;
                use tento::connector::{Cell, Row, RowCtx};

                use super::super::{Weather, WeatherParams};

                /// `{day}`.
                #[derive(Clone, Debug, serde::Deserialize)]
                pub struct HourlyParams {
                    /// The day.
                    pub day: String,
                }

                /// The hourly row.
                pub struct Hourly;

                impl Row for Hourly {
                    type Integration = Weather;
                    type Params = HourlyParams;
                    const ROW_LABEL: &'static str = "weather-hourly";

                    fn lookup_key(int: &WeatherParams, row: &HourlyParams) -> String {
                        format!(":~weather:{}:forecast:{}:hourly", int.city, row.day)
                    }

                    fn list_cells<'a>(
                        ctx: RowCtx<'a, Self>,
                        _: Option<DateRange>,
                    ) -> BoxFuture<'a, anyhow::Result<Vec<Cell>>> {
                        let id = format!("{}@{}", ctx.client, ctx.row_params.day);
                        Box::pin(async move { Ok(vec![crate::weather::connector::cell(id)]) })
                    }
                }
            }
        }
    }
}

/// Rows that live outside the convention's modules.
pub mod rows {
    use tento::connector::{Row, Verb};

    use crate::weather::connector::{Weather, WeatherParams};

    /// Current conditions, named with `as`.
    pub struct Now;

    impl Row for Now {
        type Integration = Weather;
        type Params = ();
        const ROW_LABEL: &'static str = "weather-now";
        const SERVES: Option<&'static [Verb]> = Some(&[Verb::Get, Verb::List]);

        fn lookup_key(int: &WeatherParams, _: &()) -> String {
            format!(":~weather:{}:now", int.city)
        }
    }
}

/// The host's routes, generic to show the derive keeps the type's parameters.
#[derive(RowKeySchema)]
#[rowkey {
    [integration = crate::weather::connector::Weather] {
        ":~weather:{city}" {
            ":forecast" { list
                ":{day}:hourly" { list }
            }
            ":now" as crate::rows::Now { get list }
        }
    }
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" { ":activities" { get list sync } }
    }
}]
pub struct RowKeys<T>(PhantomData<T>);

struct WeatherImpl;
impl weather::connector::WeatherDeps for WeatherImpl {}

fn main() {
    type Keys = RowKeys<u8>;
    let patterns: Vec<_> = Keys::schemas().iter().map(|s| (s.pattern, s.row_label)).collect();
    assert_eq!(
        patterns,
        [
            (":~weather:{city}:forecast", "weather-forecast"),
            (":~weather:{city}:forecast:{day}:hourly", "weather-hourly"),
            (":~weather:{city}:now", "weather-now"),
            (":~myprovider:{authId}:activities", "myprovider-activities"),
        ]
    );
    assert_eq!(Keys::schemas()[2].verbs, [Verb::Get, Verb::List]);

    let m = Keys::resolve(":~weather:oslo:forecast:2024-05-01:hourly").unwrap();
    assert_eq!((m.route, m.params.get("city"), m.params.get("day")), (1, Some("oslo"), Some("2024-05-01")));
    assert!(Keys::resolve(":~weather:oslo:forecast:2024-05-01").is_err());
    assert!(Keys::route_for(":~weather:oslo:forecast", Verb::Get).is_err());

    // The boot check names the deps nobody registered, once each.
    let mut deps = IntegrationDeps::new();
    deps.register::<dyn weather::connector::WeatherDeps>(Arc::new(WeatherImpl));
    let missing = deps.ensure_all_registered(Keys::schemas()).unwrap_err();
    assert_eq!(
        missing.names().collect::<Vec<_>>(),
        ["dyn tento_myprovider::connector::MyProviderBackendDeps"]
    );

    // Dispatch parses both levels of params into their types.
    let user = FakeUserAuth::new();
    let store = MemoryCellStore::new();
    let ctx = DispatchCtx { user: &user, deps: &deps, store: &store };
    let run = |key| futures::executor::block_on(Keys::dispatch(key, Request::List { range: None }, &ctx)).unwrap();
    let Response::Cells(cells) = run(":~weather:oslo:forecast:2024-05-01:hourly") else { panic!("cells") };
    assert_eq!(cells[0].id.as_deref(), Some("oslo@2024-05-01"));
    let Response::Cells(cells) = run(":~weather:bergen:forecast") else { panic!("cells") };
    assert_eq!(cells[0].id.as_deref(), Some("bergen"));
    assert_eq!(<rows::Now as Row>::ROW_LABEL, "weather-now");
}

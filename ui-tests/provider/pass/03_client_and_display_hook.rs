//! `client = …` names a client type other than `<Marker>Client`; `display = …` is the
//! hook for how a stored credential shows in an auth UI.
#![deny(warnings, missing_docs)]

use tento::connector::{AuthDisplay, AuthProvider, Integration, UserAuth};
use tento::oauth::{Auth, AuthHandle, OAuthCredentials, TokenSet};
use tento::testing::FakeUserAuth;

/// Credential.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Creds {
    /// The account's e-mail.
    pub email: String,
}
impl OAuthCredentials for Creds {}

/// A client named otherwise.
pub struct Api(String);
impl From<AuthHandle<Creds>> for Api {
    fn from(handle: AuthHandle<Creds>) -> Self {
        Api(format!("{} as {}", handle.access_token, handle.credentials.email))
    }
}

/// Deps.
pub trait MailDeps: Send + Sync {}
impl MailDeps for () {}

/// Mail.
#[tento::provider(kind = "mail", name = "Mail", deps = dyn MailDeps, credentials = Creds,
                  client = Api, display = shown_as)]
pub struct Mail;

fn shown_as(_auth_id: &str, credentials: &Auth<Creds>) -> String {
    credentials.credentials.email.clone()
}

fn stored() -> Auth<Creds> {
    Auth {
        credentials: Creds { email: "ada@example.com".into() },
        token: TokenSet { access_token: "tok".into(), refresh_token: None, expires_at: None },
    }
}

fn main() {
    let shown = AuthDisplay::of::<MailAuth>("a1", &stored());
    assert_eq!((shown.provider, shown.account.as_str()), ("Mail", "ada@example.com"));

    let user = FakeUserAuth::new().with::<MailAuth>("a1", stored());
    let params = MailParams { auth_id: "a1".into() };
    let api = futures::executor::block_on(Mail::client(&user, &(), &params)).unwrap();
    assert_eq!(api.0, "tok as ada@example.com");
    let missing = MailParams { auth_id: "a2".into() };
    let err = futures::executor::block_on(Mail::client(&user, &(), &missing)).err().unwrap();
    assert_eq!(err.to_string(), "no mail auth");
    let _: &dyn UserAuth = &user;
    assert_eq!(<MailAuth as AuthProvider>::account_label("a1", &stored()), "ada@example.com");
}

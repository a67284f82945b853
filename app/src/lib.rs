//! 健康マイポータル: the pages and components shared by the server (SSR) and the
//! browser (hydration), the domain types both sides validate with, and (behind
//! the `ssr` feature) the server-side services.

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
pub mod text;

#[cfg(feature = "ssr")]
pub mod backend;

use api::SiteInfo;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};
use text::PRODUCT_NAME;

/// The HTML document around the app (server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="ja">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="format-detection" content="telephone=no"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let site = use_context::<SiteInfo>().unwrap_or(SiteInfo { society_name: String::new(), society_contact: String::new() });
    // Every route renders in `SsrMode::Async`: the whole page, data included, in the first
    // response. Without JavaScript out-of-order streaming would leave the content in a <template>.
    view! {
        <Stylesheet id="leptos" href="/pkg/portal.css"/>
        <Title formatter=|title: String| if title.is_empty() { PRODUCT_NAME.to_string() } else { format!("{title}｜{PRODUCT_NAME}") }/>
        <Router>
            <components::Layout site>
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") ssr=SsrMode::Async view=pages::login::LoginPage/>
                    <Route path=path!("/home") ssr=SsrMode::Async view=pages::login::HomePage/>
                    <Route path=path!("/login/code") ssr=SsrMode::Async view=pages::two_step::LoginCodePage/>
                    <Route path=path!("/security") ssr=SsrMode::Async view=pages::two_step::SecurityPage/>
                    <Route path=path!("/security/codes") ssr=SsrMode::Async view=pages::two_step::BackupCodesPage/>
                    <Route path=path!("/notices/:id") ssr=SsrMode::Async view=pages::login::NoticePage/>
                    <Route path=path!("/medical") ssr=SsrMode::Async view=pages::medical::MedicalPage/>
                    <Route path=path!("/family") ssr=SsrMode::Async view=pages::family::FamilyPage/>
                    <Route path=path!("/benefits") ssr=SsrMode::Async view=pages::benefits::BenefitsPage/>
                    <Route path=path!("/benefits/:id") ssr=SsrMode::Async view=pages::benefits::BenefitPage/>
                    <Route path=path!("/qualification") ssr=SsrMode::Async view=pages::family::QualificationPage/>
                    <Route path=path!("/medical/print") ssr=SsrMode::Async view=pages::medical::MedicalPrintPage/>
                    <Route path=path!("/staff/notices") ssr=SsrMode::Async view=pages::staff::notices::NoticesPage/>
                    <Route path=path!("/staff/notices/:id") ssr=SsrMode::Async view=pages::staff::notices::NoticeEditPage/>
                    <Route path=path!("/staff/campaigns") ssr=SsrMode::Async view=pages::staff::campaigns::CampaignsPage/>
                    <Route path=path!("/staff/campaigns/:id") ssr=SsrMode::Async view=pages::staff::campaigns::CampaignPage/>
                    <Route path=path!("/unsubscribe/:token") ssr=SsrMode::Async view=pages::settings::UnsubscribePage/>
                    <Route path=path!("/profile") ssr=SsrMode::Async view=pages::settings::ProfilePage/>
                    <Route path=path!("/profile/email/:token") ssr=SsrMode::Async view=pages::settings::EmailConfirmPage/>
                    <Route path=path!("/profile/email-confirmed") ssr=SsrMode::Async view=pages::settings::EmailConfirmedPage/>
                    <Route path=path!("/withdraw") ssr=SsrMode::Async view=pages::settings::WithdrawPage/>
                    <Route path=path!("/withdrawn") ssr=SsrMode::Async view=pages::settings::WithdrawnPage/>
                    <Route path=path!("/password") ssr=SsrMode::Async view=pages::settings::PasswordPage/>
                    <Route path=path!("/forgot") ssr=SsrMode::Async view=pages::recovery::ForgotPage/>
                    <Route path=path!("/forgot/sent") ssr=SsrMode::Async view=pages::recovery::ForgotSentPage/>
                    <Route path=path!("/forgot/reset/:token") ssr=SsrMode::Async view=pages::recovery::ResetPage/>
                    <Route path=path!("/forgot/done") ssr=SsrMode::Async view=pages::recovery::ResetDonePage/>
                    <Route path=path!("/guide") ssr=SsrMode::Async view=pages::guide::GuidePage/>
                    <Route path=path!("/accessibility") ssr=SsrMode::Async view=pages::accessibility::AccessibilityPage/>
                    <Route path=path!("/terms") ssr=SsrMode::Async view=pages::consent::TermsPage/>
                    <Route path=path!("/privacy") ssr=SsrMode::Async view=pages::consent::PrivacyPage/>
                    <Route path=path!("/consent") ssr=SsrMode::Async view=pages::consent::ConsentPage/>
                    <Route path=path!("/inquiry") ssr=SsrMode::Async view=pages::inquiry::InquiryPage/>
                    <Route path=path!("/inquiry/sent") ssr=SsrMode::Async view=pages::inquiry::InquirySentPage/>
                    <Route path=path!("/register") ssr=SsrMode::Async view=pages::register::StartPage/>
                    <Route path=path!("/register/sent") ssr=SsrMode::Async view=pages::register::SentPage/>
                    <Route path=path!("/register/verify/:token") ssr=SsrMode::Async view=pages::register::IdentityPage/>
                    <Route path=path!("/register/key") ssr=SsrMode::Async view=pages::register::KeyPage/>
                    <Route path=path!("/register/confirm/:token") ssr=SsrMode::Async view=pages::register::ConfirmKeyPage/>
                    <Route path=path!("/register/account") ssr=SsrMode::Async view=pages::register::AccountPage/>
                    <Route path=path!("/register/done") ssr=SsrMode::Async view=pages::register::DonePage/>
                    <Route path=path!("/staff") ssr=SsrMode::Async view=pages::staff::DashboardPage/>
                    <Route path=path!("/staff/login") ssr=SsrMode::Async view=pages::staff::login::StaffLoginPage/>
                    <Route path=path!("/staff/passkeys") ssr=SsrMode::Async view=pages::staff::passkeys::StaffPasskeysPage/>
                    <Route path=path!("/staff/setup/:token") ssr=SsrMode::Async view=pages::staff::login::SetupPage/>
                    <Route path=path!("/staff/members") ssr=SsrMode::Async view=pages::staff::members::MembersPage/>
                    <Route path=path!("/staff/members/:kigo/:bango") ssr=SsrMode::Async view=pages::staff::members::MemberPage/>
                    <Route path=path!("/staff/members/:kigo/:bango/:action") ssr=SsrMode::Async view=pages::staff::members::MemberActionPage/>
                    <Route path=path!("/staff/letters") ssr=SsrMode::Async view=pages::staff::members::LettersPage/>
                    <Route path=path!("/staff/approvals") ssr=SsrMode::Async view=pages::staff::approvals::ApprovalsPage/>
                    <Route path=path!("/staff/approvals/:id") ssr=SsrMode::Async view=pages::staff::approvals::ApprovalPage/>
                    <Route path=path!("/staff/inquiries") ssr=SsrMode::Async view=pages::staff::inquiries::InquiriesPage/>
                    <Route path=path!("/staff/inquiries/:reference") ssr=SsrMode::Async view=pages::staff::inquiries::InquiryPage/>
                    <Route path=path!("/staff/audit") ssr=SsrMode::Async view=pages::staff::audit::AuditLogPage/>
                    <Route path=path!("/staff/mail-errors") ssr=SsrMode::Async view=pages::staff::MailErrorsPage/>
                    <Route path=path!("/staff/staff") ssr=SsrMode::Async view=pages::staff::accounts::StaffListPage/>
                    <Route path=path!("/staff/staff/:id/:what") ssr=SsrMode::Async view=pages::staff::accounts::StaffChangePage/>
                    <Route path=path!("/staff/roster") ssr=SsrMode::Async view=pages::staff::roster::RosterPage/>
                    <Route path=path!("/staff/roster/:id") ssr=SsrMode::Async view=pages::staff::roster::RosterPreviewPage/>
                    <Route path=path!("/staff/medical") ssr=SsrMode::Async view=pages::staff::medical::MedicalUploadPage/>
                    <Route path=path!("/staff/family") ssr=SsrMode::Async view=pages::staff::family::FamilyUploadPage/>
                    <Route path=path!("/staff/benefits") ssr=SsrMode::Async view=pages::staff::benefits::BenefitsUploadPage/>
                    <Route path=path!("/staff/benefits/upload/:id") ssr=SsrMode::Async view=pages::staff::benefits::BenefitsPreviewPage/>
                    <Route path=path!("/staff/family/upload/:id") ssr=SsrMode::Async view=pages::staff::family::FamilyPreviewPage/>
                    <Route path=path!("/staff/medical/upload/:id") ssr=SsrMode::Async view=pages::staff::medical::MedicalPreviewPage/>
                    <Route path=path!("/staff/medical/:id") ssr=SsrMode::Async view=pages::staff::medical::MedicalBatchPage/>
                </Routes>
            </components::Layout>
        </Router>
    }
}

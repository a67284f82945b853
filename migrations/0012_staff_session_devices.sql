-- ログイン中の端末 for staff too: both kinds of session are kept by one store
-- (backend/identity/session.rs), which records the browser of each.
ALTER TABLE staff_sessions ADD COLUMN user_agent TEXT;

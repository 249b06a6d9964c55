-- Who holds a message's lease ("host pid start"), so that a server restarted after a crash can
-- take back at once the messages its dead predecessor had leased, instead of waiting out the
-- lease: the mail of a change acknowledged just before the crash goes out promptly.
ALTER TABLE mail_outbox ADD COLUMN claimed_by TEXT;

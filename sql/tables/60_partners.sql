-- Partner agency figures (flightdeck.partners): monthly counts from services such as the SARC
-- and the ISVA service, never case-level rows. Each load is a row of `loads` with kind 'partner'
-- and the one force the figures belong to; rolling it back brings the previous values back.
CREATE TABLE IF NOT EXISTS partner_versions (
    load_id  INTEGER NOT NULL,
    line     INTEGER NOT NULL,                 -- line in the loaded file (header = 1)
    force    VARCHAR NOT NULL,                 -- the force the load was made for
    partner  VARCHAR NOT NULL,                 -- the service, as the file names it
    measure  VARCHAR NOT NULL,                 -- data/reference/partner_measures.csv
    month    DATE NOT NULL,                    -- first day of the month
    age_band VARCHAR NOT NULL,                 -- a KPI catalogue age band, or All (the total)
    gender   VARCHAR NOT NULL,                 -- Female, Male, Other, Unknown, or All
    count    BIGINT NOT NULL                   -- a whole number, 0 or more
);

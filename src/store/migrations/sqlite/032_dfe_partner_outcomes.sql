-- What a declaration must carry to the DfE beyond its type and date.
--
-- A delivery partner's id at the DfE (a UUID the DfE gives it), sent with every declaration of a
-- participant whose cohort it runs; a declaration is not sent while the partner has none.
ALTER TABLE organisations ADD COLUMN dfe_delivery_partner_id TEXT;

-- A completed declaration's outcome as the DfE holds it: passed (1) or failed (0), fixed when it
-- is approved and changed only together with queueing the outcome the DfE must hear of, so that
-- a change of result is told once. NULL for the other types.
ALTER TABLE declarations ADD COLUMN has_passed INTEGER CHECK (has_passed IN (0, 1));

-- K20 Investigators with specialist training (force level): for each force and month of the
-- current workforce figures, investigators trained / investigators in post (FTE).
SELECT
    force,
    month,
    all_label() AS offence_group,
    all_label() AS age_band,
    all_label() AS gender,
    investigators_trained AS numerator,
    investigators_in_post AS denominator,
    NULL::DOUBLE AS days
FROM current_workforce

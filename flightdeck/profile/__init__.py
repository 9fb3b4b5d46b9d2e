"""The annual RASSO problem profile: a force's 12 months of volumes, victims, repeat victims and
suspects, outcomes by recording cohort, partner figures, comparison and ethnicity completeness."""

"""Partner agency figures: monthly counts from services such as the sexual assault referral
centre (SARC) and ISVA services, loaded, validated and shown beside the police figures they
relate to."""

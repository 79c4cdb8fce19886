-- Reserved for the messages domain.
SELECT 1;

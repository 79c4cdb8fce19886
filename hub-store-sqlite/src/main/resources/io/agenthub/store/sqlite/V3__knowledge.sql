-- Reserved for memory and checkpoints.
SELECT 1;

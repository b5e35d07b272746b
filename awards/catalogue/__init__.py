"""The awards catalogue: award types, dated bonus multiples and base salaries, occasions and quotas (data kept by an
administrator, seeded from `data/awards.json`), and the bonus in force on a decision date."""

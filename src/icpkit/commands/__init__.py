"""`icp` commands that live in their own module; `icpkit.cli` registers them."""

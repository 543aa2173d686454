"""The catalogue: profiles (criteria), the abstract operations they call, and their schemas."""

"""`satgas demo`: a realistic, clearly fake province (Sulawesi Tenggara) pushed through the real pipeline."""

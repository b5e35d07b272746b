"""Small helpers shared by every app: Vietnamese text normalisation and streaming Excel output."""

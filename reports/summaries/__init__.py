"""The lead unit's (DOLISA's) yearly summary of the movement for the Emulation Board."""

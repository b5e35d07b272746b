"""Proposals (tờ trình) and the Chairman's decisions: DOLISA's proposal to the Emulation Board, the Board's proposal
to the Chairman, the decision recorded by the Board with the award registry rows it creates, and their pages."""

"""Layer 2: from text to terms: Preprocessor, Tokens, the token cache, the document-term matrix."""

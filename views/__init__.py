"""Dashboard screens: each lays out widgets and calls lib; no parsing, no maths. Not `pages/`: Streamlit serves that folder outside st.navigation."""

import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: { default: "ARC Runner Portal", template: "%s · ARC Runner Portal" },
  description: "Request and manage GPU runner scale sets on the OSSCI clusters",
  icons: { icon: [{ url: "/favicon.svg", type: "image/svg+xml" }, { url: "/favicon.ico", sizes: "32x32" }] },
  // An internal tool: kept out of search engines here and in robots.txt.
  robots: { index: false, follow: false },
};

// Every page depends on who is signed in.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}

export interface NavItem {
  href: string;
  label: string;
  /** Carries the shared filter along (analytics pages). */
  filtered: boolean;
  adminOnly?: boolean;
}

export const navSections: Array<{ title: string; items: NavItem[] }> = [
  {
    title: "Analytics",
    items: [
      { href: "/overview", label: "Overview", filtered: true },
      { href: "/models", label: "Models", filtered: true },
      { href: "/providers", label: "Providers", filtered: true },
      { href: "/tags", label: "Tags", filtered: true },
      { href: "/conversations", label: "Conversations", filtered: true },
      { href: "/requests", label: "Requests", filtered: true },
    ],
  },
  {
    title: "Manage",
    items: [
      { href: "/keys", label: "Keys", filtered: false },
      { href: "/users", label: "Users", filtered: false, adminOnly: true },
      { href: "/settings", label: "Settings", filtered: false },
    ],
  },
];

// Syntax-check shim (Linux has no UIKit): the few UIKit types React Native's and
// Cordova's headers mention in the declarations these sources include. The
// modules themselves call no UIKit API.
#pragma once
#import <Foundation/Foundation.h>
#import <dispatch/dispatch.h>
typedef double CGFloat;
typedef struct CGPoint { CGFloat x, y; } CGPoint;
typedef struct CGSize { CGFloat width, height; } CGSize;
typedef struct CGRect { CGPoint origin; CGSize size; } CGRect;
typedef struct UIEdgeInsets { CGFloat top, left, bottom, right; } UIEdgeInsets;
@interface UIResponder : NSObject
@end
@interface UIColor : NSObject
@end
@interface UIImage : NSObject
@end
@interface UIView : UIResponder
@end
@interface UIScrollView : UIView
@end
@interface UIWindow : UIView
@end
@interface UIViewController : UIResponder
@end
@interface UIApplication : UIResponder
@end
@interface UIScene : UIResponder
@end
@interface UIWindowScene : UIScene
@end
@protocol UIApplicationDelegate <NSObject>
@end
@protocol UIWindowSceneDelegate <NSObject>
@end
@protocol UIScrollViewDelegate <NSObject>
@end
typedef NS_ENUM(NSInteger, UIInterfaceOrientation) { UIInterfaceOrientationUnknown = 0 };
typedef NS_OPTIONS(NSUInteger, UIInterfaceOrientationMask) { UIInterfaceOrientationMaskAll = 30 };
typedef NS_ENUM(NSInteger, UIStatusBarStyle) { UIStatusBarStyleDefault = 0 };
